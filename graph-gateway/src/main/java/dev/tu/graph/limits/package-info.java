/**
 * What keeps an abusive query from costing more than it is worth: token, depth, complexity and alias
 * limits with stable error codes, and the mapping of downstream failures to GraphQL errors.
 */
package dev.tu.graph.limits;
