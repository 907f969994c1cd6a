/**
 * The clients measured side by side: kvstore and its peers, each reading the same keys from the
 * same server and decoding the way its users would (a plain {@code JsonMapper}, or the client's
 * own Jackson codec), with two no-decode rows as the floor.
 */
package io.kvstore.bench.peers;
