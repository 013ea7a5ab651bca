package io.sipserver.proxy.sip;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Text of every field of a JAIN-SIP object graph, private and inherited ones included, in declaration order, for
 * comparing what two parsers built. The RI's own {@code debugDump} shows only the fields a class declares itself,
 * not those of its superclasses (a From's address and parameters are in {@code AddressParametersHeader}).
 */
final class ObjectGraph {

    private ObjectGraph() {
    }

    static void dump(Object root, StringBuilder d) {
        dump(root, d, new IdentityHashMap<>());
    }

    private static void dump(Object o, StringBuilder d, Map<Object, Integer> seen) {
        if (o == null) {
            d.append("null");
            return;
        }
        Class<?> type = o.getClass();
        if (o instanceof CharSequence || o instanceof Number || o instanceof Boolean || o instanceof Character
                || type.isEnum()) {
            d.append(type.getSimpleName()).append('\'').append(o).append('\'');
            return;
        }
        Integer earlier = seen.get(o);
        if (earlier != null) {
            // The same object again (a Contact points back to its list): where it was first seen.
            d.append('#').append(earlier);
            return;
        }
        seen.put(o, seen.size());
        if (type.getName().startsWith("gov.nist.")) {
            d.append(type.getName()).append('{');
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    // As the RI's debugDump: its scratch text and indentation are no part of what was parsed.
                    if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("stringRepresentation")
                            || f.getName().equals("indentation")) {
                        continue;
                    }
                    f.setAccessible(true);
                    d.append(f.getName()).append('=');
                    try {
                        dump(f.get(o), d, seen);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    d.append(';');
                }
            }
            d.append('}');
        } else if (o instanceof Map<?, ?> map) {
            d.append(type.getSimpleName()).append('{');
            map.forEach((key, value) -> {
                dump(key, d, seen);
                d.append('=');
                dump(value, d, seen);
                d.append(',');
            });
            d.append('}');
        } else if (o instanceof Collection<?> collection) {
            d.append(type.getSimpleName()).append('[');
            collection.forEach(item -> {
                dump(item, d, seen);
                d.append(',');
            });
            d.append(']');
        } else if (type.isArray()) {
            d.append(type.getComponentType().getSimpleName()).append('[');
            for (int i = 0; i < Array.getLength(o); i++) {
                dump(Array.get(o, i), d, seen);
                d.append(',');
            }
            d.append(']');
        } else {
            // A class, a logger, a lock: nothing a parser fills in.
            d.append(type.getName());
        }
    }
}
