/**
 * Building blocks that backends, the core and the runtime's upper layers (HTTP, TLS) share without reaching into
 * the core's internals: a striped counter for event-loop hot paths, an enum-keyed counter table for stats
 * classes, the argument checks of the option builders, a park/unpark main-thread queue, the channel precondition
 * checks and the id and addresses every channel holds. Exported with the SPI, so a backend in another module can
 * use them; nothing here depends on {@code io.pxj.runtime.internal}.
 */
package io.pxj.runtime.spi.support;
