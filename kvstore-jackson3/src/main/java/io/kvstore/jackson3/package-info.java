/**
 * JSON values on Jackson 3 ({@code tools.jackson}): {@link io.kvstore.jackson3.KvJackson3}.
 */
package io.kvstore.jackson3;
