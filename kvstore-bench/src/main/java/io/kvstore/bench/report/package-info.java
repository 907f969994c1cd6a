/** Turns a JMH JSON result file into the Markdown tables, target checks and SVG chart of the README. */
package io.kvstore.bench.report;
