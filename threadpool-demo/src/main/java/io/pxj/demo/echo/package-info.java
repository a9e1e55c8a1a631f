/**
 * The {@code echo} command: serves one of the classic TCP services (echo, upper, lines, discard, daytime, chargen)
 * from {@code io.pxj.services} on the PxJ runtime.
 */
package io.pxj.demo.echo;
