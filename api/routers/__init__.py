"""One thin router per audience: integrators, scanning, officers, citizens, managers."""
