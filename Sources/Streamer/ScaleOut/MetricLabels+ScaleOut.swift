extension MetricLabels {
    /// Timer, dimension `outcome` (`stable`, `gave_up`): how long a scale-out instance held newly assigned units
    /// back until the checkpoint topic's last stable offset reached its end at assignment (a crashed previous
    /// owner's transaction ended).
    static let checkpointWait = "streamer.scale_out.checkpoint_wait_seconds"
    /// Dimension: how a wait ended.
    static let outcomeDimension = "outcome"
}
