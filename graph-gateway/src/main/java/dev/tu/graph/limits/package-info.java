/**
 * What keeps an abusive query from costing more than it is worth: token, depth, complexity and alias
 * limits with stable error codes, the mapping of downstream failures to GraphQL errors, and a code on
 * every error the engine itself raises.
 */
package dev.tu.graph.limits;
