/**
 * The demo's command line: one runnable jar with the {@code echo}, {@code http}, {@code load} and {@code work}
 * commands and {@code --self-check}, plus what they share (option checks, graceful Ctrl-C stop, failures reported
 * as exit codes).
 */
package io.pxj.demo;
