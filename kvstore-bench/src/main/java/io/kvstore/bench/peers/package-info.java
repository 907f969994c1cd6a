/**
 * The clients measured side by side: kvstore and its peers, each reading the same keys from the
 * same server and decoding with the same Jackson codec into the same record.
 */
package io.kvstore.bench.peers;
