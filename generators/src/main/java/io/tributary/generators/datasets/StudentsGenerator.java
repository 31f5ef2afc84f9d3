package io.tributary.generators.datasets;

import io.tributary.generators.DatasetGenerator;
import io.tributary.generators.EventModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The student-records feed: a fixed roster of 100 students, each updated in turn (at the nominal 50
 * events/s, every student every 2 seconds). Grades drift with each update; now and then a student
 * changes course.
 */
public final class StudentsGenerator implements DatasetGenerator {
  static final int ROSTER_SIZE = 100;

  private static final List<String> FIRST_NAMES =
      List.of(
          "Ana",
          "Luis",
          "Maria",
          "Jose",
          "Lucia",
          "Carlos",
          "Sofia",
          "Diego",
          "Elena",
          "Pablo",
          "Valentina",
          "Mateo",
          "Camila",
          "Andres",
          "Isabella",
          "Javier",
          "Paula",
          "Miguel",
          "Laura",
          "David");
  private static final List<String> LAST_NAMES =
      List.of(
          "Garcia",
          "Rodriguez",
          "Martinez",
          "Lopez",
          "Gonzalez",
          "Perez",
          "Sanchez",
          "Ramirez",
          "Torres",
          "Flores",
          "Rivera",
          "Gomez",
          "Diaz",
          "Morales",
          "Ortiz",
          "Castro",
          "Vargas",
          "Romero",
          "Herrera",
          "Medina");
  private static final List<String> COURSES =
      List.of(
          "Mathematics",
          "Physics",
          "Chemistry",
          "Biology",
          "History",
          "Computer Science",
          "Economics",
          "Literature");
  private static final List<String> CITIES =
      List.of("Madrid", "Barcelona", "Valencia", "Sevilla", "Bogota", "Medellin", "Lima", "Quito");

  @Override
  public String dataset() {
    return "students";
  }

  @Override
  public EventModel newModel(SplittableRandom random) {
    return new Model(random);
  }

  private static final class Student {
    final int id;
    final String firstName;
    final String lastName;
    final String email;
    final String city;
    int age;
    String course;
    double grade;

    Student(int id, SplittableRandom random) {
      this.id = id;
      this.firstName = Values.pick(random, FIRST_NAMES);
      this.lastName = Values.pick(random, LAST_NAMES);
      this.email =
          (firstName + "." + lastName + id).toLowerCase(Locale.ROOT) + "@university.example";
      this.city = Values.pick(random, CITIES);
      this.age = 17 + random.nextInt(14);
      this.course = Values.pick(random, COURSES);
      this.grade = Values.round(4 + random.nextDouble() * 5, 1);
    }
  }

  private static final class Model implements EventModel {
    private final SplittableRandom random;
    private final Student[] roster = new Student[ROSTER_SIZE];
    private int turn;

    Model(SplittableRandom random) {
      this.random = random;
      for (int i = 0; i < ROSTER_SIZE; i++) {
        roster[i] = new Student(i + 1, random);
      }
    }

    @Override
    public Map<String, Object> next(Instant eventTime) {
      Student student = roster[turn];
      turn = (turn + 1) % ROSTER_SIZE;
      student.grade =
          Values.round(Values.clamp(student.grade + Values.gaussian(random) * 0.6, 0, 10), 1);
      if (random.nextDouble() < 0.01) {
        student.course = Values.pick(random, COURSES);
      }
      if (random.nextDouble() < 0.0005 && student.age < 60) {
        student.age++;
      }

      Map<String, Object> event = new LinkedHashMap<>(16);
      event.put("event_id", Values.uuid(random));
      event.put("student_id", student.id);
      event.put("first_name", student.firstName);
      event.put("last_name", student.lastName);
      event.put("email", student.email);
      event.put("age", student.age);
      event.put("course", student.course);
      event.put("grade", student.grade);
      event.put("city", student.city);
      event.put("event_time", eventTime);
      return event;
    }
  }
}
