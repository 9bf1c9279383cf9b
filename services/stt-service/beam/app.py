# Beam Cloud deployment of AutoEdit's speech-to-text service, built from Dockerfile.gpu.
# Not deployed from the machines this project is developed on (no Beam account there): see README.
#
# From the repository root, once per account (each account is one BEAM_API_TOKEN_<NAME> on the client side):
#   pip install beam-client && beam configure default --token "$BEAM_API_TOKEN"
#   beam secret create AUTOEDIT_API_KEYS "$(openssl rand -hex 32)"        # the service's X-API-Key(s)
#   beam deploy services/stt-service/beam/app.py:stt
# The URL beam prints goes into config.yaml as beam.base_url (or beam.endpoints.<name> per account).
from beam import Service

stt = Service.from_dockerfile(
    "Dockerfile.gpu",
    context_dir=".",
    name="autoedit-stt",
    port=8080,  # the service listens on $PORT (8080); GET /healthz answers 200 once the model is loaded
    gpu="A10G",  # 24 GB: whisper large-v3 with room to spare; "T4" is enough for small/medium
    cpu=4,
    memory="16Gi",
    secrets=["AUTOEDIT_API_KEYS"],
    env={
        "STT_GPU": "cuda",
        "STT_CONCURRENCY": "1",  # one whisper.cpp context per GPU
        "STT_MAX_QUEUE": "16",
        "STT_MAX_AUDIO_SECONDS": "900",
        "STT_JOB_TIMEOUT_S": "600",
        "LOG_LEVEL": "info",
    },
    min_replicas=0,  # scale to zero when idle (no GPU billed)
    max_replicas=3,  # cost ceiling
    keep_warm_seconds=300,
    authorized=True,  # Beam checks the caller's Beam token before the request reaches the service
)
