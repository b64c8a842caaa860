"""Daily briefs: choosing the evidence (select), the model-written parts (generate), the parts the program
derives (compare), the typed brief (models), building it (build) and rendering it (render)."""
