/**
 * Where the lakehouse's bytes live: {@link io.tributary.pipelines.lakehouse.storage.LakeStorage}
 * (local directory or ADLS Gen2 and its credentials) and {@link
 * io.tributary.pipelines.lakehouse.storage.LakeFiles} (Hadoop file systems and the Kernel engine).
 */
package io.tributary.pipelines.lakehouse.storage;
