package io.sipserver.registrar;

/** One change to persist; rows are keyed by (aor, contactUri). */
public sealed interface BindingChange {

    String aor();

    String contactUri();

    /** Insert or replace the binding. */
    record Put(Binding binding) implements BindingChange {
        @Override
        public String aor() {
            return binding.aor();
        }

        @Override
        public String contactUri() {
            return binding.contactUri();
        }
    }

    /** Delete the binding, if stored. */
    record Remove(String aor, String contactUri) implements BindingChange {
        static Remove of(Binding binding) {
            return new Remove(binding.aor(), binding.contactUri());
        }
    }
}
