/** Log lines that say which tenant, image and event they are about (MDC keys shared by every service). */
package dev.tu.service.logging;
