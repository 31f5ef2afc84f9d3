package io.tributary.generators.datasets;

import io.tributary.generators.DatasetGenerator;
import io.tributary.generators.EventModel;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A taxi fleet of 200 vehicles in five cities. Each vehicle in turn emits its next trip event: a
 * {@code start}, then {@code position} updates as it drives inside its city, then an {@code end}
 * with the fare; then it idles before the next trip.
 */
public final class TripsGenerator implements DatasetGenerator {
  static final int FLEET_SIZE = 200;

  /** Vehicles stay within this distance of the city centre, in degrees (~11 km). */
  private static final double CITY_RADIUS_DEG = 0.1;

  private record City(String name, double lat, double lon) {}

  private static final List<City> CITIES =
      List.of(
          new City("New York", 40.7580, -73.9855),
          new City("Madrid", 40.4168, -3.7038),
          new City("Bogota", 4.6533, -74.0836),
          new City("Mexico City", 19.4326, -99.1332),
          new City("London", 51.5072, -0.1276));

  @Override
  public String dataset() {
    return "trips";
  }

  @Override
  public EventModel newModel(SplittableRandom random) {
    return new Model(random);
  }

  private static final class Vehicle {
    final String id;
    final City city;
    double lat;
    double lon;
    double headingRad;
    String tripId;
    Instant tripStart;
    Instant lastEvent;
    double distanceKm;
    int positionsLeft;
    int idleTurns;

    Vehicle(String id, City city, SplittableRandom random) {
      this.id = id;
      this.city = city;
      this.lat = city.lat() + (random.nextDouble() - 0.5) * CITY_RADIUS_DEG;
      this.lon = city.lon() + (random.nextDouble() - 0.5) * CITY_RADIUS_DEG;
      this.headingRad = random.nextDouble() * 2 * Math.PI;
      this.idleTurns = random.nextInt(10);
    }
  }

  private static final class Model implements EventModel {
    private final SplittableRandom random;
    private final Vehicle[] fleet = new Vehicle[FLEET_SIZE];
    private int turn;

    Model(SplittableRandom random) {
      this.random = random;
      for (int i = 0; i < FLEET_SIZE; i++) {
        fleet[i] =
            new Vehicle(String.format("V-%04d", i + 1), CITIES.get(i % CITIES.size()), random);
      }
    }

    @Override
    public Map<String, Object> next(Instant eventTime) {
      // Idle vehicles are skipped (they emit nothing while parked), but the busy ones always exist.
      Vehicle vehicle = fleet[turn];
      turn = (turn + 1) % FLEET_SIZE;
      while (vehicle.tripId == null && vehicle.idleTurns > 0) {
        vehicle.idleTurns--;
        vehicle = fleet[turn];
        turn = (turn + 1) % FLEET_SIZE;
      }
      String type;
      double speedKmh = 0;
      Double fare = null;
      if (vehicle.tripId == null) {
        type = "start";
        vehicle.tripId = "T-" + Values.hex(random, 12);
        vehicle.tripStart = eventTime;
        vehicle.distanceKm = 0;
        vehicle.positionsLeft = 60 + random.nextInt(300);
      } else {
        double seconds =
            Math.max(1, Duration.between(vehicle.lastEvent, eventTime).toMillis() / 1000.0);
        speedKmh =
            Values.clamp(12 + Values.gaussian(random) * 10 + 20 * random.nextDouble(), 0, 90);
        move(vehicle, speedKmh * seconds / 3600.0);
        if (--vehicle.positionsLeft > 0) {
          type = "position";
        } else {
          type = "end";
          double minutes = Duration.between(vehicle.tripStart, eventTime).toSeconds() / 60.0;
          fare = Values.round(2.5 + 1.6 * vehicle.distanceKm + 0.35 * minutes, 2);
        }
      }
      vehicle.lastEvent = eventTime;

      Map<String, Object> event = new LinkedHashMap<>(16);
      event.put("event_id", Values.uuid(random));
      event.put("trip_id", vehicle.tripId);
      event.put("vehicle_id", vehicle.id);
      event.put("event_type", type);
      event.put("event_time", eventTime);
      event.put("lat", Values.round(vehicle.lat, 6));
      event.put("lon", Values.round(vehicle.lon, 6));
      event.put("speed_kmh", Values.round(speedKmh, 1));
      event.put("distance_km", Values.round(vehicle.distanceKm, 3));
      event.put("fare", fare);
      event.put("city", vehicle.city.name());
      if ("end".equals(type)) {
        vehicle.tripId = null;
        vehicle.idleTurns = random.nextInt(20);
      }
      return event;
    }

    private void move(Vehicle vehicle, double km) {
      vehicle.headingRad += Values.gaussian(random) * 0.3;
      double dLat = km / 111.0 * Math.cos(vehicle.headingRad);
      double dLon =
          km / (111.0 * Math.cos(Math.toRadians(vehicle.lat))) * Math.sin(vehicle.headingRad);
      double nextLat = vehicle.lat + dLat;
      double nextLon = vehicle.lon + dLon;
      if (Math.abs(nextLat - vehicle.city.lat()) > CITY_RADIUS_DEG
          || Math.abs(nextLon - vehicle.city.lon()) > CITY_RADIUS_DEG) {
        // Turn back towards the centre instead of leaving the city.
        vehicle.headingRad =
            Math.atan2(vehicle.city.lon() - vehicle.lon, vehicle.city.lat() - vehicle.lat);
        return;
      }
      vehicle.lat = nextLat;
      vehicle.lon = nextLon;
      vehicle.distanceKm += km;
    }
  }
}
