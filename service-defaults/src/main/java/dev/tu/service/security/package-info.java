/**
 * Resource-server defaults: every service checks issuer, audience, expiry and the tenant claim itself,
 * not only the gateway. One filter chain per stack; services authorise with method security.
 */
package dev.tu.service.security;
