package io.tributary.kafka.broker;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes SIGTERM and SIGINT (Ctrl-C) to a callback instead of the JVM's default handling.
 *
 * <p>With only a shutdown hook, a JVM stopped by SIGTERM always exits with status 143 even when the
 * broker shut down cleanly; handling the signals ourselves lets a clean stop exit 0.
 * sun.misc.Signal is reached by reflection (as Kafka's own LoggingSignalHandler does) because javac
 * flags every direct use as internal API with a warning that cannot be suppressed. If it is
 * missing, the shutdown hook still stops Kafka cleanly; only the exit status differs.
 */
final class StopSignals {

  private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
  private static final List<String> SIGNALS = List.of("TERM", "INT");

  private StopSignals() {}

  /** Calls {@code onSignal} with the signal name each time TERM or INT arrives. */
  static boolean install(SignalCallback onSignal) {
    return install(onSignal, SIGNALS);
  }

  /**
   * A broker run by a parent process: calls {@code onSignal} on TERM only and ignores INT. A Ctrl-C
   * in the terminal reaches the whole process group; the parent stops this broker (TERM, or its
   * standard input closing) once what uses it has stopped, so the clients do not lose their broker
   * first.
   */
  static boolean installForChild(SignalCallback onSignal) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object ignore = handlerClass.getField("SIG_IGN").get(null);
      signalClass
          .getMethod("handle", signalClass, handlerClass)
          .invoke(null, signalClass.getConstructor(String.class).newInstance("INT"), ignore);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot ignore INT ({}); a Ctrl-C stops this broker with its parent", e.toString());
    }
    return install(onSignal, List.of("TERM"));
  }

  private static boolean install(SignalCallback onSignal, List<String> signals) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method getName = signalClass.getMethod("getName");
      Object handler =
          Proxy.newProxyInstance(
              handlerClass.getClassLoader(),
              new Class<?>[] {handlerClass},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "handle" -> {
                      onSignal.received("SIG" + getName.invoke(args[0]));
                      yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "StopSignals handler";
                  });
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : signals) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("cannot handle TERM/INT ({}); a stop will still be clean but exit with 143", e);
      return false;
    }
  }

  /** What to do when a stop signal arrives; runs on the JVM's signal dispatch thread. */
  @FunctionalInterface
  interface SignalCallback {
    void received(String signalName);
  }
}
