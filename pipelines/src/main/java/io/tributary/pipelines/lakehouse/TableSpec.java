package io.tributary.pipelines.lakehouse;

import java.io.Serializable;
import org.apache.beam.sdk.schemas.Schema;

/**
 * One table of the lakehouse.
 *
 * @param name layer and table, e.g. {@code silver/weather}; also the path below the lakehouse root
 * @param path the table's location: a local directory or {@code abfss://...}
 * @param schema the table's columns, as Beam rows written to it carry them
 * @param storage how the lakehouse's store is reached (workers register it before file access)
 */
public record TableSpec(String name, String path, Schema schema, LakeStorage storage)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
