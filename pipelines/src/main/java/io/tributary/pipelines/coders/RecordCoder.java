package io.tributary.pipelines.coders;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/**
 * Encodes a record of plain values ({@code long}, {@code int}, {@code double}, {@code boolean},
 * {@code String}, {@code BigDecimal}) component by component. Gold views' aggregates are such
 * records, and a drain encodes hundreds of thousands of partial aggregates: Java serialization
 * ({@link SerializableCoder}) costs microseconds each, mostly setting up its streams.
 *
 * @param <R> the record type
 */
public final class RecordCoder<R extends Record> extends CustomCoder<R> {
  private static final long serialVersionUID = 1L;
  private static final Set<Class<?>> PLAIN =
      Set.of(long.class, int.class, double.class, boolean.class, String.class, BigDecimal.class);

  private final Class<R> type;
  private transient Method[] accessors;
  private transient Class<?>[] types;
  private transient Constructor<R> constructor;

  private RecordCoder(Class<R> type) {
    this.type = type;
  }

  /** This coder for records of plain components, Java serialization for anything else. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <T extends java.io.Serializable> Coder<T> orSerializable(Class<T> type) {
    if (type.isRecord()
        && java.util.Arrays.stream(type.getRecordComponents())
            .allMatch(component -> PLAIN.contains(component.getType()))) {
      return (Coder<T>) new RecordCoder(type.asSubclass(Record.class));
    }
    return SerializableCoder.of(type);
  }

  private void resolve() {
    if (accessors != null) {
      return;
    }
    RecordComponent[] components = type.getRecordComponents();
    Method[] methods = new Method[components.length];
    Class<?>[] componentTypes = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      methods[i] = components[i].getAccessor();
      methods[i].setAccessible(true);
      componentTypes[i] = components[i].getType();
    }
    try {
      constructor = type.getDeclaredConstructor(componentTypes);
      constructor.setAccessible(true);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "record " + type.getName() + " has no canonical constructor", e);
    }
    types = componentTypes;
    accessors = methods;
  }

  @Override
  public void encode(R value, OutputStream outStream) throws IOException {
    resolve();
    DataOutputStream out = new DataOutputStream(outStream);
    try {
      for (int i = 0; i < accessors.length; i++) {
        Object component = accessors[i].invoke(value);
        Class<?> componentType = types[i];
        if (componentType == long.class) {
          out.writeLong((Long) component);
        } else if (componentType == int.class) {
          out.writeInt((Integer) component);
        } else if (componentType == double.class) {
          out.writeDouble((Double) component);
        } else if (componentType == boolean.class) {
          out.writeBoolean((Boolean) component);
        } else {
          out.writeBoolean(component != null);
          if (component instanceof String text) {
            out.writeUTF(text);
          } else if (component instanceof BigDecimal decimal) {
            byte[] unscaled = decimal.unscaledValue().toByteArray();
            out.writeInt(decimal.scale());
            out.writeInt(unscaled.length);
            out.write(unscaled);
          }
        }
      }
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new CoderException("cannot read the components of " + value, e);
    }
    out.flush();
  }

  @Override
  public R decode(InputStream inStream) throws IOException {
    resolve();
    DataInputStream in = new DataInputStream(inStream);
    Object[] components = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      Class<?> componentType = types[i];
      if (componentType == long.class) {
        components[i] = in.readLong();
      } else if (componentType == int.class) {
        components[i] = in.readInt();
      } else if (componentType == double.class) {
        components[i] = in.readDouble();
      } else if (componentType == boolean.class) {
        components[i] = in.readBoolean();
      } else if (in.readBoolean()) {
        if (componentType == String.class) {
          components[i] = in.readUTF();
        } else {
          int scale = in.readInt();
          byte[] unscaled = new byte[in.readInt()];
          in.readFully(unscaled);
          components[i] = new BigDecimal(new BigInteger(unscaled), scale);
        }
      }
    }
    try {
      return constructor.newInstance(components);
    } catch (ReflectiveOperationException e) {
      throw new CoderException("cannot make a " + type.getName(), e);
    }
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of();
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordCoder<?> coder && coder.type.equals(type);
  }

  @Override
  public int hashCode() {
    return type.hashCode();
  }
}
