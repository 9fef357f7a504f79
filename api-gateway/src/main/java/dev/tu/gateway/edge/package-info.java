/**
 * Edge policies that apply to every route: correlation id, access log, per-user rate limit, circuit-breaker
 * fallbacks as problem+json, the resilience defaults behind them, and the filter chain (bearer tokens,
 * the web console's open paths and security headers, the GraphQL WebSocket's token relay).
 */
package dev.tu.gateway.edge;
