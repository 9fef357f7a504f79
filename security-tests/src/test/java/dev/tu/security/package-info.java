/**
 * Adversarial tests against the running suite: each class attacks one surface from the outside (tokens,
 * tenants, properties, uploads, GraphQL, edges, secrets) and asserts the refusal; docs/security.md maps
 * them to the OWASP API Security Top 10 (2023).
 */
package dev.tu.security;
