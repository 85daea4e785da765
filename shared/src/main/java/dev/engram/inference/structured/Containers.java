package dev.engram.inference.structured;

/** The shapes of the objects and arrays inside a value of any kind. */
final class Containers {
    static final Shape.Obj ANY_OBJECT = new Shape.Obj(java.util.List.of(), Shape.Any.VALUE);
    static final Shape.Arr ANY_ARRAY = new Shape.Arr(Shape.Any.VALUE, 0, Integer.MAX_VALUE);

    private Containers() {}
}
