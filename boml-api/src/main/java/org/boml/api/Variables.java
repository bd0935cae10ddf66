package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An immutable, ordered set of named arrays: the meta-parameters {@code x}, the base parameters
 * {@code y}, or a gradient with respect to either. The order is the insertion order and is part of
 * the value: two {@code Variables} line up when their names are equal in the same order.
 *
 * <p>{@code Variables} never owns its arrays; whoever created them closes them (usually by closing
 * their {@link ai.djl.ndarray.NDManager}).
 */
public final class Variables {
  private final Map<String, NDArray> arrays;

  private Variables(Map<String, NDArray> arrays) {
    this.arrays = Collections.unmodifiableMap(arrays);
  }

  /**
   * Variables with the given names and arrays, in map order.
   *
   * @param arrays the arrays by name; iterated once, in its order
   * @return the variables
   */
  public static Variables of(Map<String, NDArray> arrays) {
    return new Variables(new LinkedHashMap<>(arrays));
  }

  /**
   * Variables from parallel lists of names and arrays.
   *
   * @param names the names
   * @param values the arrays, one per name
   * @return the variables
   * @throws IllegalArgumentException if the sizes differ or a name repeats
   */
  public static Variables of(List<String> names, List<NDArray> values) {
    if (names.size() != values.size()) {
      throw new IllegalArgumentException(
          names.size() + " names but " + values.size() + " arrays: " + names);
    }
    Map<String, NDArray> map = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (map.put(names.get(i), values.get(i)) != null) {
        throw new IllegalArgumentException("Duplicate variable name '" + names.get(i) + "'");
      }
    }
    return new Variables(map);
  }

  /**
   * The names, in order.
   *
   * @return an immutable list of the names
   */
  public List<String> names() {
    return List.copyOf(arrays.keySet());
  }

  /**
   * The arrays, in order.
   *
   * @return an immutable list of the arrays
   */
  public List<NDArray> values() {
    return List.copyOf(arrays.values());
  }

  /**
   * The arrays by name, in order.
   *
   * @return an unmodifiable view
   */
  public Map<String, NDArray> asMap() {
    return arrays;
  }

  /**
   * The array of one variable.
   *
   * @param name its name
   * @return the array
   * @throws IllegalArgumentException if there is no such variable
   */
  public NDArray get(String name) {
    NDArray array = arrays.get(name);
    if (array == null) {
      throw new IllegalArgumentException("No variable '" + name + "' among " + arrays.keySet());
    }
    return array;
  }

  /**
   * Whether a variable of this name exists.
   *
   * @param name the name
   * @return true if present
   */
  public boolean contains(String name) {
    return arrays.containsKey(name);
  }

  /**
   * The number of variables.
   *
   * @return the count
   */
  public int size() {
    return arrays.size();
  }

  /**
   * The variables whose names pass a filter, in order.
   *
   * @param names the filter
   * @return the selected variables
   */
  public Variables select(Predicate<String> names) {
    Map<String, NDArray> map = new LinkedHashMap<>();
    arrays.forEach(
        (name, array) -> {
          if (names.test(name)) {
            map.put(name, array);
          }
        });
    return new Variables(map);
  }

  /**
   * These variables followed by others.
   *
   * @param other variables whose names do not occur here
   * @return the union
   * @throws IllegalArgumentException if a name occurs in both
   */
  public Variables merge(Variables other) {
    Map<String, NDArray> map = new LinkedHashMap<>(arrays);
    other.arrays.forEach(
        (name, array) -> {
          if (map.put(name, array) != null) {
            throw new IllegalArgumentException("Variable '" + name + "' is present in both sets");
          }
        });
    return new Variables(map);
  }

  /**
   * The same names with new arrays.
   *
   * @param values one array per variable, in order
   * @return the new variables
   */
  public Variables withValues(List<NDArray> values) {
    return of(names(), values);
  }

  /**
   * Applies a function to every array.
   *
   * @param function the function
   * @return the same names with the results
   */
  public Variables map(UnaryOperator<NDArray> function) {
    Map<String, NDArray> map = new LinkedHashMap<>();
    arrays.forEach((name, array) -> map.put(name, function.apply(array)));
    return new Variables(map);
  }

  /**
   * Combines these variables with others of the same names, element by element.
   *
   * @param other variables with the same names in the same order
   * @param function applied to (this array, other array)
   * @return the same names with the results
   * @throws IllegalArgumentException if the names differ
   */
  public Variables zip(Variables other, BiFunction<NDArray, NDArray, NDArray> function) {
    requireSameNames(other);
    List<NDArray> results = new ArrayList<>(size());
    List<NDArray> others = other.values();
    List<NDArray> mine = values();
    for (int i = 0; i < mine.size(); i++) {
      results.add(function.apply(mine.get(i), others.get(i)));
    }
    return withValues(results);
  }

  /**
   * The arrays of several sets of variables, one after the other: the {@code wrt} list of a
   * derivative with respect to all of them at once.
   *
   * @param parts the sets, in order
   * @return their arrays, in order
   */
  public static List<NDArray> concat(Variables... parts) {
    List<NDArray> all = new ArrayList<>();
    for (Variables part : parts) {
      all.addAll(part.arrays.values());
    }
    return all;
  }

  /**
   * The inner product {@code sum_i <this_i, other_i>} over all variables, in float64.
   *
   * @param other variables with the same names in the same order
   * @return the inner product
   */
  public double dot(Variables other) {
    requireSameNames(other);
    double sum = 0;
    List<NDArray> mine = values();
    List<NDArray> theirs = other.values();
    for (int i = 0; i < mine.size(); i++) {
      try (NDArray product = mine.get(i).mul(theirs.get(i)).sum();
          NDArray wide = product.toType(DataType.FLOAT64, false)) {
        sum += wide.getDouble();
      }
    }
    return sum;
  }

  /**
   * Checks that other variables have exactly these names in this order.
   *
   * @param other the variables to compare with
   * @throws IllegalArgumentException naming both lists if they differ
   */
  public void requireSameNames(Variables other) {
    if (!names().equals(other.names())) {
      throw new IllegalArgumentException(
          "Variables do not line up: " + names() + " vs " + other.names());
    }
  }

  /**
   * The names of the variables.
   *
   * @return the names as a set, in order
   */
  public Set<String> nameSet() {
    return arrays.keySet();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Variables{");
    arrays.forEach((name, array) -> text.append(name).append(array.getShape()).append(' '));
    return text.toString().trim() + "}";
  }
}
