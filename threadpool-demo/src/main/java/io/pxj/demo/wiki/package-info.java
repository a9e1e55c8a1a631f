/**
 * The wiki-style demo data: an index of generated keys built once on the main thread, published, and read by every
 * parallel callback without copying, with a data file whose records are sent as zero-copy ranges.
 */
package io.pxj.demo.wiki;
