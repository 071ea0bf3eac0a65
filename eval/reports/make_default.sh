#!/usr/bin/env bash
# Rebuild the shipped default model and its committed reports, from the repository root:
#   bash eval/reports/make_default.sh
# 0. pretrain the encoder on the unlabeled and written text, 1. cross-validate the recipe (leave one article out), 2. train it on all gold data,
# 2b. calibrate its scores on the folds' predictions, 3. install it into model/default_model with its model card, 4. write the reports:
# eval/reports/default (gold corpus + cross-validation) and eval/reports/default-heldout
# (data/heldout: pages nobody tuned on). About 40 minutes on 2 CPU cores.
set -euo pipefail
RECIPE=${RECIPE:-train/configs/default.yaml}
export HF_HUB_OFFLINE=1
canbo pretrain --corpus data/unlabeled data/written/raw --output_dir runs/pretrained --epochs 3 --progress false
canbo crossval --config "$RECIPE" --output_dir runs/cv-default --progress false
canbo train --config "$RECIPE" --output_dir runs/default --progress false
canbo calibrate --crossval runs/cv-default --model runs/default   # calibration.json from the folds' predictions
python -m canbo.train.release --run runs/default --crossval runs/cv-default
canbo eval --data data/annotated --crossval runs/cv-default --out eval/reports/default --name default
canbo eval --data data/heldout/annotated --out eval/reports/default-heldout --name default-heldout
python -m canbo.train.release --run runs/default --crossval runs/cv-default --heldout eval/reports/default-heldout
