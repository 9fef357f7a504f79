/** Default configuration properties every service starts from; a service's own configuration wins. */
package dev.tu.service.config;
