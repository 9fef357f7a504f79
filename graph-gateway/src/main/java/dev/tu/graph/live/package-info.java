/**
 * Live updates: each replica binds its own auto-delete queue to {@code tu.notifications} and fans the
 * status changes out to its subscribers, each of whom sees only their own tenant's.
 */
package dev.tu.graph.live;
