/** The command-line options of a run, one small interface per concern. */
package io.tributary.pipelines.options;
