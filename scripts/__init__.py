"""Project scripts (demo data, benchmarks, the raw-data generator package ``scripts.datagen``)."""
