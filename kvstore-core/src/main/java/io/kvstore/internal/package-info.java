/** Implementation of the core API. Not exported: nothing here is public API. */
package io.kvstore.internal;
