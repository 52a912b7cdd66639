print("streamer: under construction")
