package dev.engram.testing;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON wire types reachable from some roots (records and enums of dev.engram, through record
 * components, lists, maps, arrays and optionals), and which of them a native image could not read or
 * write: Jackson reaches records by reflection, which a native image allows only for registered classes.
 */
public final class WireTypes {
    private WireTypes() {}

    /** Every dev.engram record or enum reachable from the roots. */
    public static Set<Class<?>> reachable(Type... roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(roots));
        while (!todo.isEmpty()) {
            Type type = todo.pop();
            if (type instanceof ParameterizedType p) {
                todo.push(p.getRawType());
                for (Type argument : p.getActualTypeArguments()) {
                    todo.push(argument);
                }
            } else if (type instanceof GenericArrayType a) {
                todo.push(a.getGenericComponentType());
            } else if (type instanceof Class<?> c) {
                if (c.isArray()) {
                    todo.push(c.getComponentType());
                } else if (c.getName().startsWith("dev.engram.") && (c.isRecord() || c.isEnum()) && seen.add(c)) {
                    if (c.isRecord()) {
                        for (RecordComponent component : c.getRecordComponents()) {
                            todo.push(component.getGenericType());
                        }
                    }
                }
            }
        }
        return seen;
    }

    /** The parameter and return types of every method of {@code entry} annotated {@code annotation}. */
    public static Type[] signatures(Class<?> entry, Class<? extends java.lang.annotation.Annotation> annotation) {
        Set<Type> types = new LinkedHashSet<>();
        for (Method method : entry.getDeclaredMethods()) {
            if (method.isAnnotationPresent(annotation)) {
                types.add(method.getGenericReturnType());
                types.addAll(List.of(method.getGenericParameterTypes()));
            }
        }
        return types.toArray(Type[]::new);
    }

    /** Names of the reachable wire types that carry no {@link RegisterForReflection}. */
    public static Set<String> unregistered(Type... roots) {
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : reachable(roots)) {
            if (!type.isAnnotationPresent(RegisterForReflection.class)) {
                missing.add(type.getName());
            }
        }
        return missing;
    }
}
