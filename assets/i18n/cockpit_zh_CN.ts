<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlarmBannerWidget</name>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="184"/>
        <source>+{n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="190"/>
        <source>ALARM FLOOD: {n} alarms in {m} min — grouped</source>
        <translation>告警泛滥：{m} 分钟内 {n} 条，已分组</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="235"/>
        <source>No unacknowledged high-severity alarms</source>
        <translation>无未确认的高等级告警</translation>
    </message>
</context>
<context>
    <name>AlarmListView</name>
    <message>
        <location filename="../../widgets/alarm_list.py" line="172"/>
        <source>UNACKNOWLEDGED</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="174"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="176"/>
        <source>RTN – unacknowledged</source>
        <translation>已恢复 – 未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="178"/>
        <source>Cleared</source>
        <translation>已消除</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="180"/>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="182"/>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="183"/>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="188"/>
        <source>{n} unacknowledged</source>
        <translation>{n} 条未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="190"/>
        <source>{n} returned to normal, unacknowledged</source>
        <translation>{n} 条已恢复未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="194"/>
        <source>{n} acknowledged</source>
        <translation>{n} 条已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="196"/>
        <source>{n} cleared</source>
        <translation>{n} 条已消除</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="198"/>
        <source>{n} shelved</source>
        <translation>{n} 条已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="200"/>
        <source>{n} suppressed</source>
        <translation>{n} 条已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="201"/>
        <source>{n} out of service</source>
        <translation>{n} 条停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="222"/>
        <location filename="../../widgets/alarm_list.py" line="673"/>
        <source>No alarms</source>
        <translation>无告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="225"/>
        <source>{n} alarms:</source>
        <translation>共 {n} 条告警：</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="242"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="244"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="246"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="248"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="250"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="251"/>
        <source>Ack by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="257"/>
        <source>active</source>
        <translation>告警中</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="259"/>
        <source>returned to normal</source>
        <translation>已恢复正常</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="260"/>
        <source>acknowledged by {who}</source>
        <translation>由 {who} 确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="262"/>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="264"/>
        <source>unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="267"/>
        <source>shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="269"/>
        <source>suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="271"/>
        <source>out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="272"/>
        <source>occurrence {n}</source>
        <translation>第 {n} 次触发</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="697"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="699"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="881"/>
        <source>No alarm selected</source>
        <translation>未选择告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="886"/>
        <source>{level} {n} · {source}: {message} — {flags}</source>
        <translation>{level} {n} · {source}：{message} — {flags}</translation>
    </message>
</context>
<context>
    <name>Cockpit</name>
    <message>
        <location filename="../../cockpit/app/run.py" line="99"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="43"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="44"/>
        <source>Resynchronising</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="45"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="46"/>
        <source>Stale: no data</source>
        <translation>数据过期：无新数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="47"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="110"/>
        <source>connecting to {url}</source>
        <translation>正在连接 {url}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="111"/>
        <source>catching up with {url}</source>
        <translation>正在与 {url} 同步</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="112"/>
        <source>{url} silent for {s} s</source>
        <translation>{url} 已 {s} 秒无数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="113"/>
        <source>cannot reach {url}; retrying</source>
        <translation>无法连接 {url}，正在重试</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="119"/>
        <source>backend restarted without its state at {time}; events reloaded</source>
        <translation>后台于 {time} 重启且丢失状态，事件已重新载入</translation>
    </message>
</context>
<context>
    <name>ConnectionStatusWidget</name>
    <message>
        <location filename="../../widgets/status_bar.py" line="30"/>
        <location filename="../../widgets/status_bar.py" line="32"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="34"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="35"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="80"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="81"/>
        <source>data {age} old</source>
        <translation>数据延迟 {age}</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="60"/>
        <source>Selected event</source>
        <translation>选中事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="99"/>
        <source>No event selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="102"/>
        <source>Send {unit} →</source>
        <translation>派遣 {unit} →</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="104"/>
        <source>No unit recommended</source>
        <translation>无推荐力量</translation>
    </message>
</context>
<context>
    <name>EventListView</name>
    <message>
        <location filename="../../widgets/event_list.py" line="102"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="104"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="106"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="108"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="110"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="112"/>
        <source>Ack</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="113"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="118"/>
        <source>Ack&apos;d</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="119"/>
        <source>NEW</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="387"/>
        <source>No active events</source>
        <translation>暂无未结事件</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../widgets/map_view.py" line="124"/>
        <source>Green</source>
        <translation>绿</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="126"/>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="128"/>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="130"/>
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="132"/>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="135"/>
        <source>{level} · {colour}</source>
        <translation>{level}级 · {colour}</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../cockpit/app/names.py" line="14"/>
        <source>Yuzhong</source>
        <translation>渝中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="15"/>
        <source>Jiangbei</source>
        <translation>江北</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="16"/>
        <source>Nan&apos;an</source>
        <translation>南岸</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="17"/>
        <source>Shapingba</source>
        <translation>沙坪坝</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="20"/>
        <source>Waterlogging</source>
        <translation>内涝积水</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="21"/>
        <source>Rainstorm</source>
        <translation>暴雨</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="22"/>
        <source>Traffic jam</source>
        <translation>交通拥堵</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="23"/>
        <source>Water-main burst</source>
        <translation>供水爆管</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="24"/>
        <source>Fire alarm</source>
        <translation>火警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="25"/>
        <source>Noise complaint (12345)</source>
        <translation>噪声投诉（12345）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="26"/>
        <source>River railing damaged</source>
        <translation>河道护栏损坏</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="27"/>
        <source>Waste truck shedding soil</source>
        <translation>渣土车抛洒</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="28"/>
        <source>Traffic accident</source>
        <translation>交通事故</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="29"/>
        <source>Illegal parking</source>
        <translation>违法停车</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="30"/>
        <source>Congestion index over limit</source>
        <translation>拥堵指数超限</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="31"/>
        <source>High temperature</source>
        <translation>高温</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="32"/>
        <source>High wind</source>
        <translation>大风</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="33"/>
        <source>Forest fire risk high</source>
        <translation>森林火险等级高</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="34"/>
        <source>Road closed automatically</source>
        <translation>道路已自动封闭</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="35"/>
        <location filename="../../cockpit/app/names.py" line="66"/>
        <source>Signal plan changed</source>
        <translation>信号配时已调整</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="38"/>
        <source>Water level</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="39"/>
        <source>Rainfall</source>
        <translation>雨量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="40"/>
        <source>Road speed</source>
        <translation>道路车速</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="41"/>
        <source>Pipe pressure</source>
        <translation>管网压力</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="42"/>
        <source>Fire terminal</source>
        <translation>消防终端</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="43"/>
        <source>Congestion index</source>
        <translation>拥堵指数</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="44"/>
        <source>Air temperature</source>
        <translation>气温</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="45"/>
        <source>Wind speed</source>
        <translation>风速</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="46"/>
        <source>Fire-risk level</source>
        <translation>火险等级</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="47"/>
        <source>Repair progress</source>
        <translation>抢修进度</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="48"/>
        <source>Handling rating</source>
        <translation>处置评级</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="51"/>
        <source>Drainage crew</source>
        <translation>排水抢险队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="52"/>
        <source>Traffic police</source>
        <translation>交警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="53"/>
        <source>Fire engine</source>
        <translation>消防车</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="54"/>
        <source>Forest fire crew</source>
        <translation>森林消防队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="55"/>
        <source>Water repair crew</source>
        <translation>供水抢修队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="56"/>
        <source>Enforcement team</source>
        <translation>执法队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="57"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="62"/>
        <source>Projected fire spread</source>
        <translation>预测火势蔓延</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="63"/>
        <source>Inundation area</source>
        <translation>淹没范围</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="64"/>
        <source>Road closed</source>
        <translation>道路封闭</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="65"/>
        <source>Affected area</source>
        <translation>影响范围</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="96"/>
        <source>{kind} {number} ({district})</source>
        <translation>{district}{kind} {number}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="110"/>
        <source>msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}</source>
        <translation>消息 {m} · 错误 {bad} · 缺失 {gaps} · 重连 {rc}</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <location filename="../../cockpit/app/panels.py" line="69"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="70"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="71"/>
        <location filename="../../cockpit/app/panels.py" line="80"/>
        <source>Dispatched</source>
        <translation>已调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="72"/>
        <source>Resolved</source>
        <translation>已处置</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="73"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="79"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="81"/>
        <source>Unit acknowledged</source>
        <translation>力量已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="82"/>
        <source>En route</source>
        <translation>赶赴途中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="83"/>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="84"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="85"/>
        <source>Failed</source>
        <translation>执行失败</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="86"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="93"/>
        <source>your role may not do this</source>
        <translation>当前角色无此权限</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="94"/>
        <source>the event no longer exists</source>
        <translation>事件已不存在</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="95"/>
        <source>the event is closed</source>
        <translation>事件已结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="96"/>
        <source>the unit is unknown</source>
        <translation>未知力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="97"/>
        <source>the unit is busy</source>
        <translation>该力量正在执行任务</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="98"/>
        <source>a dispatch is still open</source>
        <translation>仍有调度未完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="99"/>
        <source>the backend restarted</source>
        <translation>后台已重启</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="248"/>
        <source>Live events</source>
        <translation>实时事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="277"/>
        <source>{title} ({n} open)</source>
        <translation>{title}（{n} 起未结）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="281"/>
        <source>{title} as of {time}: link down, not live ({n} open)</source>
        <translation>{title}（截至 {time}，链路中断，非实时，{n} 起未结）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="286"/>
        <source>{title}: no data yet, link down</source>
        <translation>{title}：尚无数据，链路中断</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="300"/>
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="380"/>
        <source>No sensor</source>
        <translation>无传感器</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="435"/>
        <source>seconds ago</source>
        <translation>秒前</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="514"/>
        <source>warning</source>
        <translation>预警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="515"/>
        <source>alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="516"/>
        <source>low warning</source>
        <translation>低值预警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="517"/>
        <source>low alarm</source>
        <translation>低值告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="784"/>
        <source>another unit: {unit}</source>
        <translation>增派：{unit}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="791"/>
        <source>Your role ({role}) may not dispatch</source>
        <translation>当前角色（{role}）无调度权限</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="810"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="814"/>
        <source>{unit}: queued, link down; sends when it is back</source>
        <translation>{unit}：链路中断，已排队，恢复后发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="818"/>
        <source>{unit}: sent, waiting for answer (try {n})</source>
        <translation>{unit}：已发送，等待回应（第 {n} 次）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="822"/>
        <source>{unit}: no response after {n} tries</source>
        <translation>{unit}：{n} 次尝试均无响应</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="824"/>
        <source>{unit}: not sent, the backend restarted; check the event again</source>
        <translation>{unit}：未发送，后台已重启，请重新核实事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="828"/>
        <source>{unit}: rejected ({reason})</source>
        <translation>{unit}：被拒绝（{reason}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels.py" line="834"/>
        <source>{unit}: {state}</source>
        <translation>{unit}：{state}</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <location filename="../../widgets/severity.py" line="69"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="71"/>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="73"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="74"/>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
</context>
<context>
    <name>VitalSignTile</name>
    <message>
        <location filename="../../widgets/vital_tile.py" line="90"/>
        <location filename="../../widgets/vital_tile.py" line="92"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="94"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="95"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="206"/>
        <source>LOW ALARM</source>
        <translation>低值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="207"/>
        <source>HIGH ALARM</source>
        <translation>高值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="210"/>
        <source>LOW WARNING</source>
        <translation>低值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="211"/>
        <source>HIGH WARNING</source>
        <translation>高值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="213"/>
        <source>STALE {age}</source>
        <translation>数据过期 {age}</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="217"/>
        <source>NO DATA</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <location filename="../../cockpit/app/wall.py" line="110"/>
        <source>Cockpit · operator console</source>
        <translation>驾驶舱 · 值班控制台</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="128"/>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="148"/>
        <source>Runway</source>
        <translation>跑道</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="148"/>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="148"/>
        <source>Geometry</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="160"/>
        <source>Wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="167"/>
        <source>console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="173"/>
        <source>{placed} runways on {screens} screens; {console} in this console</source>
        <translation>{placed} 条跑道在 {screens} 块屏幕上；{console} 条在本控制台</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="201"/>
        <source>Shelving is not available yet: the alarm stays on the wall.</source>
        <translation>暂不支持搁置：告警仍保留在大屏上。</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="264"/>
        <source>its file was refused</source>
        <translation>其文件被拒绝</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="266"/>
        <source>no runway file has that id</source>
        <translation>没有该编号的跑道文件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="268"/>
        <source>wall layout: runway {id} is not shown: {why}</source>
        <translation>大屏布局：跑道 {id} 未显示：{why}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="361"/>
        <source>Wall text is {have:.0f} mm high on a {diag:g}&quot; panel; from {dist:g} m it needs {need:.0f} mm</source>
        <translation>大屏文字高 {have:.0f} 毫米（{diag:g} 英寸屏）；{dist:g} 米外阅读需要 {need:.0f} 毫米</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="370"/>
        <source> (too small for that distance: the runways are not yet designed for larger type)</source>
        <translation>（在该距离下偏小：现有跑道尚未按更大字号设计）</translation>
    </message>
</context>
</TS>
