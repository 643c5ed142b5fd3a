module example.com/support-agent

go 1.23

require (
	github.com/go-chi/chi/v5 v5.1.0
	github.com/tmc/langchaingo v0.1.13
)

require (
	github.com/dlclark/regexp2 v1.10.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/pkoukk/tiktoken-go v0.1.6 // indirect
)
