/**
 * Spring Boot auto-configuration for kvstore: {@link
 * io.kvstore.spring.boot.autoconfigure.KvStoreAutoConfiguration} and its properties, {@link
 * io.kvstore.spring.boot.autoconfigure.KvStoreProperties}.
 */
package io.kvstore.spring.boot.autoconfigure;
