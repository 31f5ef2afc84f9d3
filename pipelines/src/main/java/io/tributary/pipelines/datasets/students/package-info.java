/**
 * The students dataset: course statistics per window ({@link
 * io.tributary.pipelines.datasets.students.ComputeCourseStats}) and the latest record per student,
 * plugged in by {@link io.tributary.pipelines.datasets.students.StudentsGoldViews}.
 */
package io.tributary.pipelines.datasets.students;
