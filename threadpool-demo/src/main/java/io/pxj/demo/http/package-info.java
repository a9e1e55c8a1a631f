/**
 * The {@code http} command: the demo HTTP server (TechEmpower plaintext and JSON, {@code /stats}, the wiki lookup,
 * static files) with its live dashboard, and the metrics the dashboard shows.
 */
package io.pxj.demo.http;
