/** {@code /api/v1/analyses}: the workflow state for graph-gateway and clients, scoped to the caller's tenant. */
package dev.tu.orchestrator.api;
