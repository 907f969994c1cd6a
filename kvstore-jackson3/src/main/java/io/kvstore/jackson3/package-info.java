/**
 * JSON values on Jackson 3 ({@code tools.jackson}): {@link io.kvstore.jackson3.KvJackson3}.
 */
@NullMarked
package io.kvstore.jackson3;

import org.jspecify.annotations.NullMarked;
