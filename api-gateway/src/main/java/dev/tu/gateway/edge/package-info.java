/**
 * Edge policies that apply to every route: correlation id, per-user rate limit, circuit-breaker
 * fallbacks as problem+json, and the resilience defaults behind them.
 */
package dev.tu.gateway.edge;
