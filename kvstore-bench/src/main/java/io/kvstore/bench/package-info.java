/** JMH benchmarks of kvstore against its peers, and the bounded load generator. */
package io.kvstore.bench;
