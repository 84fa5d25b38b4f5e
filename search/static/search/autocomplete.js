// Autocompletion for the header search box (search app).
