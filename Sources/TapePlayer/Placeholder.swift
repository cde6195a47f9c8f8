// Headless tape runs.
