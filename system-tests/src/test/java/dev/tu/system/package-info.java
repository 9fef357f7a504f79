/** System tests: the six services as separate processes against the real infrastructure. */
package dev.tu.system;
