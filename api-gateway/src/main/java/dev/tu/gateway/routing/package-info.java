/**
 * Where the gateway sends each request. The routes themselves are configuration
 * ({@code spring.cloud.gateway.server.webflux.routes} in application.yaml); this package validates the
 * upstream addresses they refer to.
 */
package dev.tu.gateway.routing;
