"""Training: corpus preparation, the tiny offline backbone, configs and the HF Trainer loop."""
