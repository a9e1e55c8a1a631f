/**
 * The {@code load} command: an HTTP and echo load generator built on PxJ's own client API, closed-loop or at a fixed
 * rate, with latency recorded in HdrHistogram (coordinated-omission corrected with {@code --rate}), every response
 * or echoed byte checked, a progress line each second and a percentile table at the end.
 */
package io.pxj.demo.load;
