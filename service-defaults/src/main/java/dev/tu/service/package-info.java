/**
 * Service defaults shared by every tu service: the conventions that make six services operate as one
 * suite (health groups, structured logs with trace ids, problem details, resource-server security).
 * Anything specific to one service belongs in that service.
 */
package dev.tu.service;
