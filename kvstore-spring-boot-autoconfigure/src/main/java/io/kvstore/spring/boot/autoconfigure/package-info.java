/**
 * Spring Boot auto-configuration for kvstore: {@link
 * io.kvstore.spring.boot.autoconfigure.KvStoreAutoConfiguration} and its properties, {@link
 * io.kvstore.spring.boot.autoconfigure.KvStoreProperties}.
 */
@NullMarked
package io.kvstore.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
