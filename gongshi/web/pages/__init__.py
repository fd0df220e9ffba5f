"""Page families: each module turns the Site model into its pages and assets."""
