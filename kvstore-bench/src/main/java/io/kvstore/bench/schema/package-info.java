/** Schema-evolution benchmarks: what a versioned value costs to read, with and without migration. */
package io.kvstore.bench.schema;
