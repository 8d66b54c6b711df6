import warnings

# oslo.messaging imports oslo.service, which imports (never uses) eventlet;
# its deprecation banner on every start is noise, not a hil-os problem.
warnings.filterwarnings('ignore', message=r'\s*Eventlet is deprecated')
