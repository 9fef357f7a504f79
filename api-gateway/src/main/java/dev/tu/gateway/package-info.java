/** api-gateway: the suite's single entry point: JWT check, routing, resilience, correlation. */
package dev.tu.gateway;
